export * from './database/test-database';
export * from './database/service-test-database';
export * from './kafka/topic-reader';
export * from './namespace';
export * from './wait-for';
export * from './nest/feature-app';
export * from './net/tcp-relay';
export * from './random/mulberry32';

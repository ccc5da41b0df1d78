export * from './official-days';
export * from './office-hours';
export * from './working-calendar';
export * from './calendar.provider';

/**
 * The repository's plain-JavaScript ES modules (tools/infra, tools/scripts/lib), typed for the
 * parts the fault suite uses. They are loaded with a real dynamic import: the TypeScript here is
 * compiled to CommonJS (by @swc-node/register or Jest), which would turn `import()` into a
 * `require()` of an ES module.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(__dirname, '..', '..');

const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

export function loadModule<T>(relative: string): Promise<T> {
  return importEsm(pathToFileURL(path.join(ROOT, relative)).href) as Promise<T>;
}

export type StackPorts = Record<string, number>;

export interface ServiceHandle {
  name: string;
  child: ChildProcess;
  env: Record<string, string>;
  logFile?: string;
}

export interface Stack {
  ports: StackPorts;
  handles: ServiceHandle[];
  stop(): Promise<unknown>;
}

/** tools/scripts/lib/services.mjs */
export interface ServicesModule {
  SERVICES: { name: string; port: number; migrates: boolean }[];
  freeStackPorts(): Promise<StackPorts>;
  testStackSettings(stack: { databaseUrl: string; brokers: string[]; namespace: string; jwtSecret: string }): Record<string, string>;
  serviceEnv(name: string, ports: StackPorts, shared: Record<string, string>): Record<string, string>;
  startService(root: string, name: string, env: Record<string, string>, options?: { logFile?: string }): ServiceHandle;
  waitUntilReady(handle: ServiceHandle, port: number, timeoutMs?: number): Promise<void>;
  stopService(handle: ServiceHandle, graceMs?: number): Promise<void>;
  logTail(handle: ServiceHandle, lines?: number): string;
  startStack(
    root: string,
    options: { shared: Record<string, string>; ports: StackPorts; logDir: string; log: (message: string) => void },
  ): Promise<Stack>;
}

/** tools/infra/index.mjs */
/** tools/infra/kafka.mjs: the single-node KRaft broker's configuration. */
export interface KafkaInfraModule {
  writeBrokerConfig(files: {
    config: string;
    log4j: string;
    toolsLog4j: string;
    serverLog: string;
    data: string;
    host?: string;
    port?: number;
    controllerPort?: number;
  }): void;
}

export interface InfraModule {
  ensureRedis(options: { log?: (message: string) => void }): Promise<{ url: string; version: string }>;
}

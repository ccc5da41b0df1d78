/** Injection tokens of the platform (kept apart so any platform file can use them without a cycle). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const SERVICE_ENVIRONMENT = Symbol('SERVICE_ENVIRONMENT');

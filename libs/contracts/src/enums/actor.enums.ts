/** Roles of the people who use the system (DOMAIN.md "Who uses it"). */
export const ROLES = ['operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin', 'channel'] as const;
export type Role = (typeof ROLES)[number];

/** The services of the platform; each owns one events topic and one database schema. */
export const SERVICE_NAMES = ['gateway', 'intake', 'assignment', 'supervision', 'metrics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

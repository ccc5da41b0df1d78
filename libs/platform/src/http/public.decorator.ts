import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the authentication guard (libs/auth). */
export const IS_PUBLIC = 'hotline:public';

/**
 * Marks a route as open without a token (health, login). Lives here, beneath libs/auth, so
 * that the platform's own health endpoints can carry it.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

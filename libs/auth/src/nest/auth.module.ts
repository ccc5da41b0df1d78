import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';

/**
 * Import once in a service's root module and every route of the service is guarded by
 * AuthGuard. Needs SERVICE_ENVIRONMENT from the global PlatformModule for the JWT secrets.
 */
@Module({
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}

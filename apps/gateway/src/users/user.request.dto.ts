import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { REGION_CODES, ROLES, Role } from '@hotline/contracts';

const STAFF_ROLES = ROLES.filter((r) => r !== 'channel');

export class CreateUserRequest {
  @Matches(/^[a-z0-9][a-z0-9._-]{2,49}$/, {
    message: 'username must be 3-50 lower-case letters, digits, dot, dash or underscore',
  })
  username: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  displayName: string;

  @IsIn(STAFF_ROLES)
  role: Role;

  /** Required for a handler: the department it works for. */
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  /** For a district supervisor: the region they watch. */
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;
}

export class UpdateUserRequest {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  displayName?: string;

  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: Role;

  @IsOptional()
  @IsUUID()
  departmentId?: string | null;

  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string | null;
}

export class ResetPasswordRequest {
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;
}

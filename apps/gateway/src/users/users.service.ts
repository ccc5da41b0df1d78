import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, hashPassword, passwordProblems } from '@hotline/auth';
import { departmentCatalog, Role, uuidv7 } from '@hotline/contracts';
import { AuditTrail } from '../audit/audit-trail';
import { SessionService } from '../auth/session.service';
import { CreateUserRequest, UpdateUserRequest } from './user.request.dto';
import { toUserView, UserAccount, UserView } from './user-account.entity';

const KNOWN_DEPARTMENTS = new Set(departmentCatalog().map((d) => d.id));

/** Administration of user accounts; every change is audited in the same transaction. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionService,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.dataSource.getRepository(UserAccount).find({ order: { username: 'ASC' } });
    return users.map(toUserView);
  }

  async create(request: CreateUserRequest, actor: AuthenticatedUser, address: string): Promise<UserView> {
    checkAssignment(request.role, request.departmentId, request.regionCode);
    const problems = passwordProblems(request.password, request.username);
    if (problems.length) throw badRequest(problems);
    const passwordHash = await hashPassword(request.password);
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserAccount);
      if (await users.existsBy({ username: request.username })) {
        throw new ConflictException(['username: already taken']);
      }
      const user = users.create({
        id: uuidv7(),
        username: request.username,
        displayName: request.displayName,
        role: request.role,
        departmentId: request.departmentId ?? null,
        regionCode: request.regionCode ?? null,
        passwordHash,
      });
      await users.insert(user);
      await this.audit.record(
        { action: 'user.created', actor: auditActor(actor), target: user.id, address, detail: { username: user.username, role: user.role } },
        manager,
      );
      return toUserView(user);
    });
  }

  async update(id: string, request: UpdateUserRequest, actor: AuthenticatedUser, address: string): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserAccount);
      const user = await users.findOneBy({ id });
      if (!user) throw new NotFoundException(['id: no such user']);
      const next = {
        displayName: request.displayName ?? user.displayName,
        role: request.role ?? user.role,
        departmentId: request.departmentId === undefined ? user.departmentId : request.departmentId,
        regionCode: request.regionCode === undefined ? user.regionCode : request.regionCode,
      };
      checkAssignment(next.role, next.departmentId ?? undefined, next.regionCode ?? undefined);
      await users.update(id, next);
      await this.audit.record({ action: 'user.updated', actor: auditActor(actor), target: id, address, detail: { ...request } }, manager);
      return toUserView({ ...user, ...next });
    });
  }

  async setDisabled(id: string, disabled: boolean, actor: AuthenticatedUser, address: string): Promise<UserView> {
    if (disabled && id === actor.id) throw badRequest(['id: an administrator cannot disable their own account']);
    const view = await this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserAccount);
      const user = await users.findOneBy({ id });
      if (!user) throw new NotFoundException(['id: no such user']);
      await users.update(id, { disabled });
      await this.audit.record(
        { action: disabled ? 'user.disabled' : 'user.enabled', actor: auditActor(actor), target: id, address },
        manager,
      );
      return toUserView({ ...user, disabled });
    });
    if (disabled) await this.sessions.endSessions(id);
    return view;
  }

  async resetPassword(id: string, password: string, actor: AuthenticatedUser, address: string): Promise<void> {
    const user = await this.dataSource.getRepository(UserAccount).findOneBy({ id });
    if (!user) throw new NotFoundException(['id: no such user']);
    const problems = passwordProblems(password, user.username);
    if (problems.length) throw badRequest(problems);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(UserAccount).update(id, { passwordHash, failedLogins: 0, lockedUntil: null });
      await this.audit.record({ action: 'user.password-reset', actor: auditActor(actor), target: id, address }, manager);
    });
    await this.sessions.endSessions(id);
  }
}

/** A handler needs a known department; only a supervisor may be bound to a region. */
function checkAssignment(role: Role, departmentId?: string | null, regionCode?: string | null): void {
  const problems: string[] = [];
  if (role === 'handler' && !departmentId) problems.push('departmentId: a handler must belong to a department');
  if (departmentId && !KNOWN_DEPARTMENTS.has(departmentId)) problems.push('departmentId: no such department');
  if (departmentId && role !== 'handler') problems.push('departmentId: only a handler belongs to a department');
  if (regionCode && role !== 'supervisor') problems.push('regionCode: only a supervisor is bound to a region');
  if (problems.length) throw badRequest(problems);
}

function badRequest(message: string[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message });
}

function auditActor(user: AuthenticatedUser): { id: string; username: string } {
  return { id: user.id, username: user.username };
}

import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';

/*
 * Every message a consumer reads is checked against its contract classes. Through
 * class-transformer and class-validator (`validateSync(plainToInstance(cls, value))`) that costs
 * ≈ 40 µs for an envelope and as much again for a payload — ten times parsing the JSON, and a fifth
 * of a consumer's CPU in the pipeline benchmark's profiles — most of it spent building instances,
 * looking metadata up and building error objects that a valid message never needs.
 *
 * `schemaAccepts(cls, value)` runs the same decorators' own checks (the validator functions
 * class-validator registered for them) straight on the parsed JSON, compiled once per class. It
 * answers true only when validateSync would find nothing; whatever it is not sure of — a class
 * with transformations, defaults, async or unknown kinds of validation, a value of a shape
 * class-transformer would turn into something else — is "false: ask class-validator", which then
 * judges and words the errors as before. schema-check.spec.ts holds it to that, for every contract
 * class, with values of every kind in every field.
 */

type Check = (value: unknown) => boolean;

/** A class whose decorators describe a contract (an envelope, a payload). */
export type ContractClass = abstract new (...args: never[]) => object;

const compiled = new Map<ContractClass, Check | null>();

/** Whether `validateSync(plainToInstance(cls, value))` certainly finds nothing; false when in doubt. */
export function schemaAccepts(cls: ContractClass, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const check = compiledCheck(cls);
  return check !== null && check(value);
}

/** An object as JSON.parse makes them (of any realm): not a list, not an instance of a class. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function compiledCheck(cls: ContractClass): Check | null {
  if (compiled.has(cls)) return compiled.get(cls) as Check | null;
  compiled.set(cls, null); // a class that reaches itself again is left to class-validator
  const check = compile(cls);
  compiled.set(cls, check);
  return check;
}

function compile(cls: ContractClass): Check | null {
  const storage = getMetadataStorage();
  // The metadata validateSync's executor reads, with its default options.
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (!metadatas.length) return null; // an unknown value to class-validator: refused there
  if (defaultMetadataStorage.getExposedMetadatas(cls).length || defaultMetadataStorage.getExcludedMetadatas(cls).length) return null;
  if (hasDefaults(cls)) return null;
  const checks: Check[] = [];
  for (const [property, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (property === '__proto__' || property === 'constructor') return null;
    if (defaultMetadataStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length) return null;
    const check = compileProperty(cls, property, own);
    if (!check) return null;
    checks.push(check);
  }
  return (object) => {
    for (const check of checks) if (!check(object)) return false;
    return true;
  };
}

/** Field initialisers would fill what the JSON left out before class-validator looks. */
function hasDefaults(cls: ContractClass): boolean {
  try {
    const probe = new (cls as new () => object)();
    return Object.values(probe).some((v) => v !== undefined);
  } catch {
    return true;
  }
}

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

function compileProperty(cls: ContractClass, property: string, metadatas: Metadata[]): Check | null {
  const storage = getMetadataStorage();
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const validations: { metadata: Metadata; validate: (value: unknown, args: ValidationArguments) => unknown }[] = [];
  const defined: typeof validations = [];
  let nested: Check | null | undefined;
  for (const m of metadatas) {
    if ((m.groups && m.groups.length) || m.always !== undefined) return null;
    switch (m.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(m.constraints[0]);
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
      case ValidationTypes.IS_DEFINED:
        for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
          if (constraint.async) return null;
          const instance = constraint.instance as { validate: (value: unknown, args: ValidationArguments) => unknown };
          (m.type === ValidationTypes.IS_DEFINED ? defined : validations).push({ metadata: m, validate: instance.validate.bind(instance) });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION: {
        const type = defaultMetadataStorage.findTypeMetadata(cls, property);
        if (!type || type.options?.discriminator || nested !== undefined) return null;
        const target = type.typeFunction();
        nested = typeof target === 'function' ? compiledCheck(target as ContractClass) : null;
        if (!nested) return null;
        break;
      }
      case ValidationTypes.WHITELIST:
        break; // only read with the whitelist option, which validateSync is not given here
      default:
        return null;
    }
  }
  const nestedCheck = nested;
  const targetName = cls.name;
  const passes = (list: typeof validations, object: object, value: unknown): boolean => {
    for (const { metadata, validate } of list) {
      const args: ValidationArguments = { targetName, property, object, value, constraints: metadata.constraints };
      if (metadata.each && Array.isArray(value)) {
        for (const item of value) if (validate(item, args) !== true) return false;
      } else if (validate(value, args) !== true) return false;
    }
    return true;
  };
  return (object) => {
    const record = object as Record<string, unknown>;
    const value = Object.prototype.hasOwnProperty.call(record, property) ? record[property] : undefined;
    for (const condition of conditions) if (!condition(record, value)) return true; // not validated at all
    if (!passes(defined, record, value) || !passes(validations, record, value)) return false;
    if (nestedCheck && value !== undefined) {
      // Each element of a list, or the one object, must itself meet the nested class.
      if (Array.isArray(value)) return value.every((item) => isPlainObject(item) && nestedCheck(item));
      return isPlainObject(value) && nestedCheck(value);
    }
    return true;
  };
}

import { BadRequestException } from '@nestjs/common';
import { IsInt } from 'class-validator';
import { createValidationPipe, jsonDepthExceeds, MAX_FIELD_ERRORS } from './api-errors';

describe('jsonDepthExceeds', () => {
  const deep = (n: number) => Buffer.from('['.repeat(n) + ']'.repeat(n));

  it('counts the nesting of objects and arrays', () => {
    expect(jsonDepthExceeds(deep(32), 32)).toBe(false);
    expect(jsonDepthExceeds(deep(33), 32)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":{"c":[1,[2]]}}}'), 4)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":{"c":[1,2]}}}'), 4)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(Buffer.from(`{"text":"${'[{'.repeat(100)}","q":"say \\"[[[[\\" ok"}`), 2)).toBe(false);
  });
});

class Numbers {
  @IsInt({ each: true })
  items: number[];
}

describe('the validation pipe', () => {
  it('lists at most the first problems and says how many more there are', async () => {
    const pipe = createValidationPipe();
    // An array sent where an object was expected: one "should not exist" per element.
    const body1000 = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(i), 0]));
    const refused = await pipe.transform({ items: [1], ...body1000 }, { type: 'body', metatype: Numbers }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestException);
    const body = (refused as BadRequestException).getResponse() as { message: string[]; errors: { field: string }[] };
    expect(body.message.length).toBeLessThanOrEqual(MAX_FIELD_ERRORS + 1);
    expect(body.message.at(-1)).toMatch(/more problems not listed$/);
    expect(JSON.stringify(body).length).toBeLessThan(10_000);
  });
});

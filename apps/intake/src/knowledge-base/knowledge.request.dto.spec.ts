import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenErrors } from '@hotline/contracts';
import { CreateKnowledgeEntryRequest, isCalendarDate, KnowledgeSearchQuery, UpdateKnowledgeEntryRequest } from './knowledge.request.dto';

/** The messages the global validation pipe would answer with (stopAtFirstError, as in production). */
function problems<T extends object>(cls: new () => T, plain: object): string[] {
  return flattenErrors(validateSync(plainToInstance(cls, plain), { stopAtFirstError: true, forbidUnknownValues: true }));
}

const valid = {
  question: '失业保险金怎么申领？',
  answer: '满足条件的失业人员可以在线申领失业保险金。',
  domain: 'social-insurance',
  keywords: [' 失业金 ', '失业金', ''],
  validFrom: '2024-01-01',
  source: '《失业保险条例》',
};

describe('KnowledgeSearchQuery', () => {
  it('accepts q of 1–200 characters and converts limit', () => {
    const query = plainToInstance(KnowledgeSearchQuery, { q: ' 失业金 ', limit: '5' });
    expect(validateSync(query)).toEqual([]);
    expect(query).toMatchObject({ q: '失业金', limit: 5 });
  });

  it.each([
    [{}, 'q: q must be given: the words to search for, 1–200 characters'],
    [{ q: '   ' }, 'q: q must be 1–200 characters'],
    [{ q: '字'.repeat(201) }, 'q: q must be 1–200 characters'],
    [{ q: '失业金', limit: '0' }, 'limit: limit must be a whole number from 1 to 50'],
    [{ q: '失业金', limit: 'ten' }, 'limit: limit must be a whole number from 1 to 50'],
    [{ q: '失业金', domain: 'housing' }, expect.stringMatching(/^domain: domain must be one of employment, social-insurance/)],
  ])('refuses %j naming the field', (plain, message) => {
    expect(problems(KnowledgeSearchQuery, plain)).toEqual([message]);
  });
});

describe('CreateKnowledgeEntryRequest', () => {
  it('accepts a complete entry and tidies its keywords', () => {
    const request = plainToInstance(CreateKnowledgeEntryRequest, valid);
    expect(validateSync(request)).toEqual([]);
    expect(request.keywords).toEqual(['失业金']);
  });

  it('refuses an end date before the start date, naming both', () => {
    expect(problems(CreateKnowledgeEntryRequest, { ...valid, validTo: '2023-12-31' })).toEqual([
      'validTo: validTo must be on or after validFrom',
    ]);
  });

  it('accepts an end date on the start date, and null for no end', () => {
    expect(problems(CreateKnowledgeEntryRequest, { ...valid, validTo: '2024-01-01' })).toEqual([]);
    expect(problems(CreateKnowledgeEntryRequest, { ...valid, validTo: null })).toEqual([]);
  });

  it.each([
    [{ validFrom: '2024-02-30' }, 'validFrom: validFrom must be a date YYYY-MM-DD'],
    [{ validFrom: '2024/01/01' }, 'validFrom: validFrom must be a date YYYY-MM-DD'],
    [{ question: '失业' }, 'question: question must be 4–200 characters'],
    [{ answer: '太短了' }, 'answer: answer must be 10–4000 characters'],
    [{ source: '' }, 'source: source must be 2–200 characters'],
    [{ keywords: ['字'.repeat(31)] }, 'keywords: keywords must each be 1–30 characters'],
    [{ keywords: Array.from({ length: 21 }, (_, i) => `词${i}`) }, 'keywords: keywords may hold at most 20 words'],
  ])('refuses %j naming the field', (change, message) => {
    expect(problems(CreateKnowledgeEntryRequest, { ...valid, ...change })).toEqual([message]);
  });
});

describe('UpdateKnowledgeEntryRequest', () => {
  it('accepts any subset of fields', () => {
    expect(problems(UpdateKnowledgeEntryRequest, { answer: '新的答复口径，按最新政策执行。' })).toEqual([]);
    expect(problems(UpdateKnowledgeEntryRequest, { validTo: null })).toEqual([]);
  });

  it('checks the dates it is given against each other', () => {
    expect(problems(UpdateKnowledgeEntryRequest, { validFrom: '2025-01-01', validTo: '2024-01-01' })).toEqual([
      'validTo: validTo must be on or after validFrom',
    ]);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['24-01-01', false],
    ['2024-01-01T00:00:00Z', false],
  ])('%s → %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});

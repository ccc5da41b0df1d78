import { BadRequestException } from '@nestjs/common';
import { createValidationPipe } from '@hotline/platform';
import { CreateRoutingRuleRequest, RoutingDryRunRequest, UpdateRoutingRuleRequest } from './routing-rule.request.dto';

const pipe = createValidationPipe();

/** The `message` lines the API answers for this body, or [] when it passes. */
async function problems(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (err) {
    if (!(err instanceof BadRequestException)) throw err;
    return (err.getResponse() as { message: string[] }).message;
  }
}

const valid = {
  name: '社保卡挂失 → 社保卡中心',
  priority: 150,
  match: { categoryPrefixes: ['SK.01.02'], urgency: 'urgent' },
  target: { mode: 'department', departmentCode: 'SBKZX' },
  coHandlerCodes: ['REGION'],
  confidence: 'sure',
};

describe('routing rule requests', () => {
  it('accepts a well-formed rule, and a rule without conditions', async () => {
    expect(await problems(CreateRoutingRuleRequest, valid)).toEqual([]);
    expect(await problems(CreateRoutingRuleRequest, { ...valid, match: undefined, coHandlerCodes: undefined })).toEqual([]);
  });

  it('names each wrong field, nested ones by path', async () => {
    const messages = await problems(CreateRoutingRuleRequest, {
      name: 'x',
      priority: 0,
      match: { domains: ['pensions'], regionCodes: ['110000'], categoryPrefixes: ['sb.02'], keywords: [], colour: 'red' },
      target: { mode: 'department' },
      coHandlerCodes: ['jczd'],
      confidence: 'maybe',
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'name: name must be 2–100 characters',
        'priority: priority must be a whole number from 1 to 1000000',
        'confidence: confidence must be sure (assign) or review (dispatcher decides)',
        'coHandlerCodes: coHandlerCodes must each be a department code (like JCZD or 500103) or REGION',
        expect.stringMatching(/^match\.domains: domains must each be one of employment, /),
        'match.regionCodes: regionCodes must each be one of the 41 region codes of Chongqing (like 500103)',
        'match.categoryPrefixes: categoryPrefixes must each be a code of the category tree, like SB, SB.02 or SB.02.01',
        'match.keywords: keywords must not be empty; leave it out to match any text',
        'match.colour: property colour should not exist',
        'target.departmentCode: departmentCode must be a department code (like RSKS or 500103) when mode is department',
      ]),
    );
    expect(messages).toHaveLength(10);
  });

  it('refuses a department code on a region-bureau target, and a missing target', async () => {
    expect(await problems(CreateRoutingRuleRequest, { ...valid, target: { mode: 'region-bureau', departmentCode: 'JYC' } })).toEqual([
      'target.departmentCode: departmentCode must be left out unless mode is department',
    ]);
    expect(await problems(CreateRoutingRuleRequest, { ...valid, target: undefined })).toEqual([
      'target: target must be {mode: "region-bureau"} or {mode: "department", departmentCode}',
    ]);
  });

  it('takes partial updates and refuses repeated co-handlers', async () => {
    expect(await problems(UpdateRoutingRuleRequest, { priority: 120, version: 2 })).toEqual([]);
    expect(await problems(UpdateRoutingRuleRequest, { coHandlerCodes: ['JCZD', 'JCZD'] })).toEqual([
      'coHandlerCodes: coHandlerCodes must not repeat a department',
    ]);
  });

  it('checks the facts of a dry run and fills in the optional ones', async () => {
    expect(await problems(RoutingDryRunRequest, { regionCode: '999999', domain: 'employment', demandType: 'help' })).toEqual([
      'regionCode: regionCode must be one of the 41 region codes of Chongqing',
    ]);
    const request = (await pipe.transform(
      { regionCode: '500103', domain: 'employment', demandType: 'help' },
      { type: 'body', metatype: RoutingDryRunRequest },
    )) as RoutingDryRunRequest;
    expect(request).toEqual(expect.objectContaining({ urgency: 'normal', title: '', content: '' }));
  });
});

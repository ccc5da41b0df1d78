import { candidateTerms } from './knowledge-search.service';

const term = (name: string, entries: number, inDomain = entries) => ({ term: name, entries, inDomain });

describe('candidateTerms', () => {
  it('takes every term a small knowledge base holds', () => {
    const terms = [term('保险', 30), term('挂失', 1), term('社保', 25)];
    expect(candidateTerms(terms, 2000).map((t) => t.term)).toEqual(['挂失', '社保', '保险']);
  });

  it('skips terms no entry holds', () => {
    expect(candidateTerms([term('省交', 0), term('挂失', 3)], 2000).map((t) => t.term)).toEqual(['挂失']);
    expect(candidateTerms([term('省交', 0)], 2000)).toEqual([]);
  });

  it('takes the rarest terms until the budget, leaving the common ones to the ranking', () => {
    const terms = [term('保险', 5000), term('挂失', 40), term('社保', 4000), term('补办', 300)];
    expect(candidateTerms(terms, 2000).map((t) => t.term)).toEqual(['挂失', '补办']);
  });

  it('always takes the rarest term, even past the budget', () => {
    expect(candidateTerms([term('保险', 5000), term('社会', 6000)], 2000).map((t) => t.term)).toEqual(['保险']);
  });

  it('counts the requested domain’s entries, and bounds what the index hands over from all domains', () => {
    // 工资 is common overall but rare among wage-arrears answers.
    const terms = [term('工资', 3000, 200), term('拖欠', 400, 300), term('保险', 6000, 10)];
    expect(candidateTerms(terms, 2000, 10_000).map((t) => t.term)).toEqual(['保险', '工资', '拖欠']);
    expect(candidateTerms(terms, 2000, 9000).map((t) => t.term)).toEqual(['保险', '工资']);
    expect(candidateTerms(terms, 2000, 7000).map((t) => t.term)).toEqual(['保险']);
  });
});

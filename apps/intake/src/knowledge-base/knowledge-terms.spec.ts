import { ANSWER_PREFIX_LENGTH, entryTerms, FILLER_WORDS, MAX_QUERY_TERMS, queryTerms, searchTerms, SYNONYMS } from './knowledge-terms';

describe('searchTerms', () => {
  it('cuts Han text into overlapping bigrams', () => {
    expect(searchTerms('失业保险')).toEqual(['失业', '业保', '保险']);
  });

  it('keeps a Han run of one character as a single-character term', () => {
    expect(searchTerms('领')).toEqual(['领']);
    expect(searchTerms('工资 领 补贴')).toEqual(['工资', '领', '补贴']);
  });

  it('drops a lone character that means nothing on its own', () => {
    expect(searchTerms('我 是 在')).toEqual([]);
  });

  it('treats filler words as separators, so no junk bigram crosses them', () => {
    // 失业金怎么领 → 失业金 | 领: no 金怎 or 么领.
    const terms = searchTerms('失业金怎么领');
    expect(terms).toEqual(expect.arrayContaining(['失业', '业金', '领']));
    expect(terms).not.toEqual(expect.arrayContaining(['金怎']));
    expect(terms).not.toContain('怎么');
    expect(terms).not.toContain('么领');
  });

  it.each(['怎么', '如何', '请问', '我想', '什么', '可以', '需要', '哪里'])('never yields the filler %s as a term', (filler) => {
    expect(searchTerms(`${filler}办理${filler}`)).toEqual(['办理']);
  });

  it('keeps 办理 whole after 怎么 (怎么办 is no filler of its own)', () => {
    expect(searchTerms('失业金怎么办理')).toEqual(expect.arrayContaining(['办理']));
  });

  it('reads the Chongqing way of asking (咋个, 啷个, 咋) as filler too', () => {
    expect(searchTerms('失业金咋个领')).toEqual(searchTerms('失业金怎么领'));
    expect(searchTerms('社保卡掉了啷个办')).toEqual(expect.arrayContaining(['挂失']));
    expect(searchTerms('咋领')).toEqual(['领']);
  });

  it('drops question words around 哪 without leaving half-words behind', () => {
    expect(searchTerms('在哪里报名')).toEqual(['报名']);
    expect(searchTerms('去哪报名')).toEqual(['报名']);
  });

  it('finds nothing in a question made only of filler', () => {
    expect(searchTerms('请问一下，怎么办？')).toEqual([]);
  });

  it('lower-cases ASCII words and keeps numbers whole', () => {
    expect(searchTerms('APP 12333 热线')).toEqual(['app', '12333', '热线']);
  });

  it('reads full-width letters and digits as ASCII', () => {
    expect(searchTerms('ＡＰＰ１２３３３')).toEqual(['app12333']);
  });

  it('drops a single ASCII letter but keeps a single digit', () => {
    expect(searchTerms('a 2 倍')).toEqual(['2', '倍']);
  });

  it('returns each term once', () => {
    expect(searchTerms('工资工资工资')).toEqual(['工资', '资工']);
  });

  describe('synonyms of the hotline', () => {
    it.each([
      ['失业金', '失业保险金'],
      ['养老金', '基本养老金'],
      ['养老金', '养老保险'],
      ['社保', '社会保险'],
      ['医保', '医疗保险'],
      ['工伤', '工伤保险'],
      ['社保卡', '社会保障卡'],
      ['拖欠工资', '欠薪'],
      ['不发工资', '欠薪'],
      ['辞退', '解除劳动合同'],
      ['开除', '解除劳动合同'],
      ['加班费', '加班工资'],
      ['稳岗', '稳岗返还'],
      ['退休', '养老'],
      ['退休金', '基本养老金'],
      ['自由职业', '灵活就业'],
      ['社保卡丢了', '挂失'],
    ])('%s also finds %s', (colloquial, official) => {
      expect(searchTerms(colloquial)).toEqual(expect.arrayContaining(searchTerms(official)));
    });

    it('keeps the caller’s own word beside the official one', () => {
      expect(searchTerms('失业金')).toEqual(expect.arrayContaining(['业金', '业保', '险金']));
    });

    it('prefers the longest colloquial word: 社保卡 is the card, not 社会保险卡', () => {
      const terms = searchTerms('社保卡');
      expect(terms).toEqual(expect.arrayContaining(['社会', '保障', '障卡']));
      expect(terms).not.toContain('保险');
    });

    it('gives 公积金 no synonym: 住房公积金 is another bureau’s, the word is kept as it is', () => {
      expect(SYNONYMS['公积金']).toBeUndefined();
      expect(searchTerms('公积金')).toEqual(['公积', '积金']);
    });

    it('reads the bureau’s name 人力社保局 as no question about social insurance', () => {
      expect(searchTerms('人力社保局')).not.toContain('保险');
    });

    it('never expands into a filler word (it would be removed again)', () => {
      for (const official of Object.values(SYNONYMS).flat()) {
        for (const filler of FILLER_WORDS) expect(official).not.toContain(filler);
      }
    });
  });
});

describe('queryTerms', () => {
  it('caps a pasted paragraph at MAX_QUERY_TERMS terms', () => {
    const text = '劳动合同解除经济补偿工资计算工伤认定养老保险转移接续失业保险金申领技能提升补贴'.repeat(3) + '一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
    expect(searchTerms(text).length).toBeGreaterThan(MAX_QUERY_TERMS);
    expect(queryTerms(text)).toHaveLength(MAX_QUERY_TERMS);
  });
});

describe('entryTerms', () => {
  const entry = {
    question: '失业保险金申领条件',
    keywords: ['失业金'],
    answer: `${'条件说明'.repeat(ANSWER_PREFIX_LENGTH / 4)}隐藏在后面的词`,
  };

  it('weighs keywords 3, question 2, answer 1, adding up where a term is in several places', () => {
    const { weights } = entryTerms(entry);
    expect(weights['业金']).toBe(3); // keyword 失业金 only
    expect(weights['申领']).toBe(2); // question only
    expect(weights['说明']).toBe(1); // answer only
    expect(weights['条件']).toBe(3); // question 2 + answer 1
    expect(weights['失业']).toBe(5); // keyword (失业金, 失业保险金) 3 + question 2
  });

  it('indexes only the opening of the answer', () => {
    expect(entryTerms(entry).terms).not.toContain('隐藏');
  });

  it('lists every weighted term once for the GIN index', () => {
    const { terms, weights } = entryTerms(entry);
    expect(terms.sort()).toEqual(Object.keys(weights).sort());
    expect(new Set(terms).size).toBe(terms.length);
  });
});

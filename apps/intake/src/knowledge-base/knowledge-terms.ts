/**
 * Search terms for the policy knowledge base (政策咨询问答库), without a Chinese word segmenter:
 * Han text becomes overlapping character bigrams ("失业保险" → 失业 · 业保 · 保险), so any word of
 * two or more characters in the query meets the same bigrams in the entry; ASCII words and numbers
 * are kept whole. Entries and queries go through the same function, so both sides agree.
 *
 * Two small tables carry the hotline's knowledge of how citizens speak:
 * - SYNONYMS: colloquial words and the official terms the answers use (失业金 → 失业保险金);
 *   the official term is added, the caller's own word is kept.
 * - FILLER_WORDS: what every question contains (怎么, 请问, 我想 …); they separate words rather
 *   than become terms, so "失业金怎么领" yields no junk bigram such as 金怎.
 */

/** Colloquial word → official terms added beside it. Longest key wins where keys overlap (社保卡 over 社保). */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  // 社会保险
  失业金: ['失业保险金'],
  失业救济金: ['失业保险金'],
  养老金: ['基本养老金', '养老保险'],
  退休金: ['基本养老金', '养老保险', '退休'],
  退休: ['退休', '养老'],
  社保: ['社会保险'],
  // The bureau's name (人力社保局, 人力社保部门) is no question about social insurance.
  人力社保: [],
  五险: ['社会保险'],
  交社保: ['缴纳', '社会保险'],
  缴社保: ['缴纳', '社会保险'],
  医保: ['医疗保险'],
  工伤: ['工伤保险'],
  生存认证: ['资格认证'],
  转社保: ['转移接续', '社会保险'],
  转关系: ['转移接续'],
  转回: ['转移接续'],
  转过来: ['转移接续'],
  转出去: ['转移接续'],
  外省: ['跨省', '异地'],
  外地: ['跨省', '异地'],
  省外: ['跨省', '异地'],
  灵活就业: ['灵活就业人员'],
  自由职业: ['灵活就业人员'],
  打零工: ['灵活就业人员'],
  个体户: ['个体工商户', '灵活就业人员'],
  // 社保卡 (公积金 is deliberately absent: 住房公积金 belongs to another bureau; the word stays as it is)
  社保卡: ['社会保障卡'],
  补卡: ['补办'],
  丢了: ['挂失'],
  丢失: ['挂失'],
  弄丢: ['挂失'],
  掉了: ['挂失'],
  遗失: ['挂失'],
  // 劳动关系
  辞退: ['解除劳动合同'],
  开除: ['解除劳动合同'],
  解雇: ['解除劳动合同'],
  炒鱿鱼: ['解除劳动合同'],
  赔偿金: ['经济补偿'],
  补偿金: ['经济补偿'],
  遣散费: ['经济补偿'],
  'n+1': ['经济补偿'],
  加班费: ['加班工资'],
  双倍工资: ['二倍工资'],
  两倍工资: ['二倍工资'],
  没签合同: ['未签劳动合同'],
  不签合同: ['未签劳动合同'],
  没有签合同: ['未签劳动合同'],
  劳动仲裁: ['劳动争议仲裁'],
  年假: ['年休假'],
  // 欠薪
  欠薪: ['欠薪'],
  拖欠工资: ['欠薪'],
  工资拖欠: ['欠薪'],
  欠工资: ['欠薪'],
  不发工资: ['欠薪'],
  工资不发: ['欠薪'],
  讨薪: ['欠薪'],
  拿不到工资: ['欠薪'],
  包工头: ['农民工工资'],
  // 就业创业
  稳岗: ['稳岗返还'],
  创业补助: ['创业补贴'],
  应届生: ['高校毕业生'],
  毕业生: ['高校毕业生'],
  大学生: ['高校毕业生'],
  考证: ['技能提升补贴', '职业技能等级证书'],
  // 人才人事
  考编: ['事业单位公开招聘'],
  事业编: ['事业单位公开招聘'],
  评职称: ['职称评审'],
};

/**
 * Words that carry no meaning for the search (question words, politeness, pronouns). They are
 * the stop-bigrams of the design, widened to the longer fillers that contain them.
 */
export const FILLER_WORDS: readonly string[] = [
  '怎么样', '怎么', '怎样', '如何', '请问', '我想', '想问', '问一下', '问下', '什么时候', '什么', '为什么',
  '啥时候', '咋个', '咋样', '啷个', '可不可以', '可以', '能不能', '能否', '是否', '是不是', '需要',
  '在哪里', '去哪里', '哪里', '哪儿', '哪些', '哪个',
  '多少', '多久', '一下', '了解', '知道', '告诉', '你好', '您好', '谢谢', '麻烦', '有没有', '有没',
  '现在', '的话', '这个', '那个', '就是', '然后', '还有', '我们', '你们', '他们', '自己', '一般', '具体',
  '应该', '咨询', '情况', '问题', '帮忙', '帮我',
];

/**
 * Characters that separate words wherever they stand: particles (的 in 失业金的条件) and the
 * question words 哪 (哪里, 去哪报名), 咋 and 啥 (as callers in Chongqing say 咋领, 干啥).
 */
const SEPARATOR_CHARS = '的了吗呢吧啊呀嘛哦哪咋啥';

/** Single characters that are no term on their own when a Han run is one character long. */
const STOP_CHARS = new Set('我你他她它是在有和与及或就都也还又能会要去到给让被把对这那个些么怎该可想请问办里儿'.split(''));

/** Terms of one query at most: bounds the SQL work for a 200-character paste. */
export const MAX_QUERY_TERMS = 64;

/**
 * How much a match counts, by where the entry has the term. A term in several places counts for
 * each (keywords + question + answer = 6): the entry whose question and keywords both carry the
 * caller's words is more to the point than one that lists them only as keywords.
 */
export const TERM_WEIGHTS = { keyword: 3, question: 2, answer: 1 } as const;
export const MAX_TERM_WEIGHT = TERM_WEIGHTS.keyword + TERM_WEIGHTS.question + TERM_WEIGHTS.answer;

/** Characters of the answer that are indexed: its opening, which says what the answer is about. */
export const ANSWER_PREFIX_LENGTH = 160;

const synonymPattern = alternation(Object.keys(SYNONYMS));
const fillerPattern = alternation(FILLER_WORDS);
const separatorPattern = new RegExp(`[${SEPARATOR_CHARS}]`, 'gu');
const HAN_OR_WORD = /\p{Script=Han}+|[a-z0-9]+/gu;
const HAN = /\p{Script=Han}/u;

/** The search terms of a text, each once, in order of appearance. */
export function searchTerms(text: string): string[] {
  const normalised = normalise(text);
  const expanded = [normalised, ...synonymsIn(normalised)].join(' ');
  const cleaned = expanded.replace(fillerPattern, ' ').replace(separatorPattern, ' ');
  const terms = new Set<string>();
  for (const [run] of cleaned.matchAll(HAN_OR_WORD)) {
    if (!HAN.test(run)) {
      // One ASCII letter (the "n" of "n+1") says nothing; numbers do (12333, 2 in 2倍).
      if (run.length > 1 || /\d/.test(run)) terms.add(run);
      continue;
    }
    if (run.length === 1) {
      if (!STOP_CHARS.has(run)) terms.add(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return [...terms];
}

/** The terms of a query, capped at MAX_QUERY_TERMS. */
export function queryTerms(query: string): string[] {
  return searchTerms(query).slice(0, MAX_QUERY_TERMS);
}

export interface EntryText {
  question: string;
  keywords: readonly string[];
  answer: string;
}

export interface EntryTerms {
  /** Every term of the entry: what the GIN index holds and `&&` filters on. */
  terms: string[];
  /** Term → the sum of the weights of the places it appears in (keywords 3, question 2, answer 1). */
  weights: Record<string, number>;
}

/** The terms an entry is found by: its keywords, its question and the opening of its answer. */
export function entryTerms(entry: EntryText): EntryTerms {
  const weights: Record<string, number> = {};
  const add = (terms: string[], weight: number) => {
    for (const term of terms) weights[term] = (weights[term] ?? 0) + weight;
  };
  add(searchTerms(entry.keywords.join(' ')), TERM_WEIGHTS.keyword);
  add(searchTerms(entry.question), TERM_WEIGHTS.question);
  add(searchTerms(entry.answer.slice(0, ANSWER_PREFIX_LENGTH)), TERM_WEIGHTS.answer);
  return { terms: Object.keys(weights), weights };
}

/** Full-width letters, digits and punctuation to their ASCII forms; lower case. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function synonymsIn(text: string): string[] {
  const found: string[] = [];
  for (const [word] of text.matchAll(synonymPattern)) found.push(...(SYNONYMS[word] ?? []));
  return found;
}

/** One regular expression matching any of the words, the longest first where they overlap. */
function alternation(words: readonly string[]): RegExp {
  const sorted = [...words].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
}

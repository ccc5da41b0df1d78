/**
 * The 41 regions of Chongqing (../data/chongqing-regions.json, copied: the console shares no
 * code with the services), with pinyin so an operator can type "yz" or "yuzhong" for 渝中区.
 */
export interface Region {
  code: string;
  name: string;
  /** Full pinyin of the short name, lower case, no tones. */
  pinyin: string;
  /** Initials of the full name, lower case (yzq for 渝中区). */
  initials: string;
}

const RAW: [code: string, name: string, pinyin: string, initials: string][] = [
  ['500101', '万州区', 'wanzhou', 'wzq'],
  ['500102', '涪陵区', 'fuling', 'flq'],
  ['500103', '渝中区', 'yuzhong', 'yzq'],
  ['500104', '大渡口区', 'dadukou', 'ddkq'],
  ['500105', '江北区', 'jiangbei', 'jbq'],
  ['500106', '沙坪坝区', 'shapingba', 'spbq'],
  ['500107', '九龙坡区', 'jiulongpo', 'jlpq'],
  ['500108', '南岸区', 'nanan', 'naq'],
  ['500109', '北碚区', 'beibei', 'bbq'],
  ['500110', '綦江区', 'qijiang', 'qjq'],
  ['500111', '大足区', 'dazu', 'dzq'],
  ['500112', '渝北区', 'yubei', 'ybq'],
  ['500113', '巴南区', 'banan', 'bnq'],
  ['500114', '黔江区', 'qianjiang', 'qjq'],
  ['500115', '长寿区', 'changshou', 'csq'],
  ['500116', '江津区', 'jiangjin', 'jjq'],
  ['500117', '合川区', 'hechuan', 'hcq'],
  ['500118', '永川区', 'yongchuan', 'ycq'],
  ['500119', '南川区', 'nanchuan', 'ncq'],
  ['500120', '璧山区', 'bishan', 'bsq'],
  ['500151', '铜梁区', 'tongliang', 'tlq'],
  ['500152', '潼南区', 'tongnan', 'tnq'],
  ['500153', '荣昌区', 'rongchang', 'rcq'],
  ['500154', '开州区', 'kaizhou', 'kzq'],
  ['500155', '梁平区', 'liangping', 'lpq'],
  ['500156', '武隆区', 'wulong', 'wlq'],
  ['500229', '城口县', 'chengkou', 'ckx'],
  ['500230', '丰都县', 'fengdu', 'fdx'],
  ['500231', '垫江县', 'dianjiang', 'djx'],
  ['500233', '忠县', 'zhong', 'zx'],
  ['500235', '云阳县', 'yunyang', 'yyx'],
  ['500236', '奉节县', 'fengjie', 'fjx'],
  ['500237', '巫山县', 'wushan', 'wsx'],
  ['500238', '巫溪县', 'wuxi', 'wxx'],
  ['500240', '石柱土家族自治县', 'shizhu', 'sztjzzzx'],
  ['500241', '秀山土家族苗族自治县', 'xiushan', 'xstjzmzzzx'],
  ['500242', '酉阳土家族苗族自治县', 'youyang', 'yytjzmzzzx'],
  ['500243', '彭水苗族土家族自治县', 'pengshui', 'psmztjzzzx'],
  ['LJXQ', '两江新区', 'liangjiang', 'ljxq'],
  ['GXQ', '西部科学城重庆高新区', 'gaoxin', 'gxq'],
  ['WSJK', '万盛经开区', 'wansheng', 'wsjkq'],
];

export const REGIONS: readonly Region[] = RAW.map(([code, name, pinyin, initials]) => ({ code, name, pinyin, initials }));

const byCode = new Map(REGIONS.map((r) => [r.code, r]));

export function regionName(code: string | null | undefined): string {
  return code ? (byCode.get(code)?.name ?? code) : '—';
}

/** Whether what the operator typed names this region: its name, pinyin, initials or code. */
export function regionMatches(region: Region, typed: string): boolean {
  const q = typed.trim().toLowerCase();
  if (!q) return true;
  return (
    region.name.includes(typed.trim()) ||
    region.pinyin.startsWith(q) ||
    region.initials.startsWith(q) ||
    region.code.toLowerCase().startsWith(q)
  );
}

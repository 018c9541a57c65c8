/**
 * Reference data for the synthetic portfolio: cities, districts (GB/T 2260 codes), the bank's branches, and
 * GB/T 4754-2017 industries with base risk. Coordinates are district centres to about a kilometre, which is
 * all that "nearest branch within r km" needs.
 */

export interface City {
  key: string
  nameZh: string
  province: string // as written before the city name in an address; empty for municipalities
  regionCode: string // city-level code, also the region of the city branch (分行)
  lat: number
  lng: number
  streets: readonly string[]
}

export interface District {
  regionCode: string
  nameZh: string
  cityKey: string
  lat: number
  lng: number
  /** Share of the portfolio registered here (relative weight). */
  weight: number
  /** Key of the sub-branch (支行) in this district; districts without one are served by the city branch. */
  branchKey?: string
}

export const CITIES: readonly City[] = [
  { key: 'HZ', nameZh: '杭州市', province: '浙江省', regionCode: '330100', lat: 30.274, lng: 120.155,
    streets: ['文三路', '江南大道', '莫干山路', '延安路', '文一西路', '滨盛路', '庆春路', '古墩路'] },
  { key: 'SH', nameZh: '上海市', province: '', regionCode: '310100', lat: 31.230, lng: 121.473,
    streets: ['南京东路', '淮海中路', '世纪大道', '张江路', '漕宝路', '虹桥路', '浦东南路', '中山西路'] },
  { key: 'SZ', nameZh: '深圳市', province: '广东省', regionCode: '440300', lat: 22.543, lng: 114.058,
    streets: ['深南大道', '科苑路', '宝安大道', '龙岗大道', '华强北路', '滨海大道', '沙河西路', '福华路'] },
  { key: 'SU', nameZh: '苏州市', province: '江苏省', regionCode: '320500', lat: 31.299, lng: 120.585,
    streets: ['干将路', '人民路', '狮山路', '东吴北路', '长江路', '宝带路', '金鸡湖大道', '竹园路'] },
]

export const DISTRICTS: readonly District[] = [
  { regionCode: '330102', nameZh: '上城区', cityKey: 'HZ', lat: 30.242, lng: 120.169, weight: 5, branchKey: 'HZ-SC' },
  { regionCode: '330105', nameZh: '拱墅区', cityKey: 'HZ', lat: 30.319, lng: 120.142, weight: 4 },
  { regionCode: '330106', nameZh: '西湖区', cityKey: 'HZ', lat: 30.259, lng: 120.130, weight: 6, branchKey: 'HZ-XH' },
  { regionCode: '330108', nameZh: '滨江区', cityKey: 'HZ', lat: 30.208, lng: 120.212, weight: 5, branchKey: 'HZ-BJ' },
  { regionCode: '330109', nameZh: '萧山区', cityKey: 'HZ', lat: 30.185, lng: 120.264, weight: 6 },
  { regionCode: '330110', nameZh: '余杭区', cityKey: 'HZ', lat: 30.273, lng: 119.979, weight: 7, branchKey: 'HZ-YH' },
  { regionCode: '310101', nameZh: '黄浦区', cityKey: 'SH', lat: 31.231, lng: 121.484, weight: 5, branchKey: 'SH-HP' },
  { regionCode: '310104', nameZh: '徐汇区', cityKey: 'SH', lat: 31.188, lng: 121.437, weight: 5 },
  { regionCode: '310105', nameZh: '长宁区', cityKey: 'SH', lat: 31.220, lng: 121.424, weight: 4 },
  { regionCode: '310112', nameZh: '闵行区', cityKey: 'SH', lat: 31.113, lng: 121.382, weight: 7, branchKey: 'SH-MH' },
  { regionCode: '310115', nameZh: '浦东新区', cityKey: 'SH', lat: 31.221, lng: 121.544, weight: 12, branchKey: 'SH-PD' },
  { regionCode: '440303', nameZh: '罗湖区', cityKey: 'SZ', lat: 22.548, lng: 114.131, weight: 4 },
  { regionCode: '440304', nameZh: '福田区', cityKey: 'SZ', lat: 22.541, lng: 114.055, weight: 7, branchKey: 'SZ-FT' },
  { regionCode: '440305', nameZh: '南山区', cityKey: 'SZ', lat: 22.533, lng: 113.930, weight: 8, branchKey: 'SZ-NS' },
  { regionCode: '440306', nameZh: '宝安区', cityKey: 'SZ', lat: 22.555, lng: 113.883, weight: 8, branchKey: 'SZ-BA' },
  { regionCode: '440307', nameZh: '龙岗区', cityKey: 'SZ', lat: 22.721, lng: 114.247, weight: 7 },
  { regionCode: '320505', nameZh: '虎丘区', cityKey: 'SU', lat: 31.296, lng: 120.566, weight: 4 },
  { regionCode: '320506', nameZh: '吴中区', cityKey: 'SU', lat: 31.262, lng: 120.632, weight: 5, branchKey: 'SU-WZ' },
  { regionCode: '320508', nameZh: '姑苏区', cityKey: 'SU', lat: 31.311, lng: 120.617, weight: 4, branchKey: 'SU-GS' },
]

export interface BranchDef {
  key: string
  nameZh: string
  cityKey: string
  parentKey: string | null
  regionCode: string
  lat: number
  lng: number
}

const HEAD_OFFICE: BranchDef = {
  key: 'HO', nameZh: '总行', cityKey: 'HZ', parentKey: null, regionCode: '330102', lat: 30.247, lng: 120.178,
}

/** Head office, one city branch (分行) per city and one sub-branch (支行) per district that has one. */
export const BRANCHES: readonly BranchDef[] = [
  HEAD_OFFICE,
  ...CITIES.map((c): BranchDef => ({
    key: c.key, nameZh: `${c.nameZh.replace('市', '')}分行`, cityKey: c.key, parentKey: 'HO',
    regionCode: c.regionCode, lat: c.lat, lng: c.lng,
  })),
  ...DISTRICTS.filter((d) => d.branchKey !== undefined).map((d): BranchDef => ({
    key: d.branchKey!, nameZh: `${d.nameZh.replace(/区$/, '').replace('新', '')}支行`, cityKey: d.cityKey,
    parentKey: d.cityKey, regionCode: d.regionCode,
    // a sub-branch sits near, not on, the district centre
    lat: Math.round((d.lat + 0.004) * 1e6) / 1e6, lng: Math.round((d.lng - 0.003) * 1e6) / 1e6,
  })),
]

export function branchIdOf(key: string): string {
  return `BR-${key}`
}

/** The branch that serves a district's customers: its sub-branch, else its city branch. */
export function servingBranchKey(d: District): string {
  return d.branchKey ?? d.cityKey
}

/** Seasonal revenue profile (Jan..Dec multipliers, mean about 1). */
export type SeasonProfile = 'flat' | 'retail' | 'construction' | 'agriculture' | 'manufacturing' | 'services'

export const SEASONS: Record<SeasonProfile, readonly number[]> = {
  flat: [0.92, 0.85, 1.0, 1.0, 1.0, 1.02, 1.0, 1.0, 1.02, 1.0, 1.03, 1.16],
  // the Spring Festival dip in February, 双十一 in November and year-end stocking
  retail: [1.15, 0.75, 0.9, 0.92, 0.98, 1.05, 0.95, 0.95, 0.98, 1.02, 1.3, 1.05],
  // work stops around the Spring Festival; projects are settled at year end
  construction: [0.7, 0.45, 0.9, 1.0, 1.05, 1.1, 1.0, 1.0, 1.05, 1.05, 1.15, 1.55],
  agriculture: [0.8, 0.7, 0.75, 0.8, 0.9, 1.0, 1.05, 1.15, 1.35, 1.4, 1.1, 1.0],
  manufacturing: [0.95, 0.6, 1.0, 1.05, 1.05, 1.05, 1.0, 1.0, 1.05, 1.0, 1.05, 1.2],
  services: [0.95, 0.8, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0, 1.05, 1.0, 1.1],
}

export interface IndustryDef {
  code: string // GB/T 4754-2017 section letter + class code
  nameZh: string
  /** Base risk relative to the portfolio average (1 = average); feeds industryRiskIndex. */
  risk: number
  /** Relative share of firms. */
  weight: number
  isHighTech: boolean
  season: SeasonProfile
  /** Revenue per yuan of registered capital (median), a crude asset-turnover proxy. */
  turnover: number
  /** Effective tax paid over revenue (VAT net of input plus surcharges, roughly). */
  taxRate: number
  /** Word used in generated company names. */
  nameWord: string
}

export const INDUSTRIES: readonly IndustryDef[] = [
  { code: 'A0141', nameZh: '蔬菜种植', risk: 1.3, weight: 1.5, isHighTech: false, season: 'agriculture', turnover: 1.2, taxRate: 0.01, nameWord: '农业开发' },
  { code: 'C1810', nameZh: '机织服装制造', risk: 1.3, weight: 4, isHighTech: false, season: 'manufacturing', turnover: 2.5, taxRate: 0.03, nameWord: '服饰' },
  { code: 'C2641', nameZh: '涂料制造', risk: 1.1, weight: 1.5, isHighTech: false, season: 'manufacturing', turnover: 2.2, taxRate: 0.035, nameWord: '化工' },
  { code: 'C2710', nameZh: '化学药品原料药制造', risk: 0.8, weight: 1, isHighTech: true, season: 'manufacturing', turnover: 1.5, taxRate: 0.05, nameWord: '生物医药' },
  { code: 'C3311', nameZh: '金属结构制造', risk: 1.2, weight: 3, isHighTech: false, season: 'manufacturing', turnover: 2.0, taxRate: 0.03, nameWord: '钢结构' },
  { code: 'C3484', nameZh: '机械零部件加工', risk: 1.1, weight: 3, isHighTech: false, season: 'manufacturing', turnover: 1.8, taxRate: 0.03, nameWord: '机械' },
  { code: 'C3824', nameZh: '电力电子元器件制造', risk: 0.85, weight: 1.5, isHighTech: true, season: 'manufacturing', turnover: 1.6, taxRate: 0.04, nameWord: '电子' },
  { code: 'C3973', nameZh: '集成电路制造', risk: 0.75, weight: 0.6, isHighTech: true, season: 'manufacturing', turnover: 1.0, taxRate: 0.04, nameWord: '半导体' },
  { code: 'C4011', nameZh: '工业自动控制系统装置制造', risk: 0.8, weight: 1, isHighTech: true, season: 'manufacturing', turnover: 1.4, taxRate: 0.04, nameWord: '自动化' },
  { code: 'D4416', nameZh: '太阳能发电', risk: 0.9, weight: 0.5, isHighTech: true, season: 'flat', turnover: 0.4, taxRate: 0.04, nameWord: '新能源' },
  { code: 'E4701', nameZh: '住宅房屋建筑', risk: 1.5, weight: 4, isHighTech: false, season: 'construction', turnover: 1.5, taxRate: 0.025, nameWord: '建设工程' },
  { code: 'E4910', nameZh: '电气安装', risk: 1.2, weight: 2.5, isHighTech: false, season: 'construction', turnover: 1.6, taxRate: 0.025, nameWord: '机电安装' },
  { code: 'E5012', nameZh: '住宅装饰和装修', risk: 1.35, weight: 4, isHighTech: false, season: 'construction', turnover: 1.8, taxRate: 0.025, nameWord: '装饰工程' },
  { code: 'F5137', nameZh: '服装批发', risk: 1.2, weight: 5, isHighTech: false, season: 'retail', turnover: 4.0, taxRate: 0.012, nameWord: '贸易' },
  { code: 'F5164', nameZh: '金属及金属矿批发', risk: 1.4, weight: 3, isHighTech: false, season: 'flat', turnover: 5.0, taxRate: 0.008, nameWord: '金属材料' },
  { code: 'F5176', nameZh: '电气设备批发', risk: 1.05, weight: 4, isHighTech: false, season: 'flat', turnover: 4.0, taxRate: 0.012, nameWord: '电气' },
  { code: 'F5191', nameZh: '互联网批发', risk: 1.15, weight: 7, isHighTech: false, season: 'retail', turnover: 4.5, taxRate: 0.01, nameWord: '电子商务' },
  { code: 'F5212', nameZh: '超级市场零售', risk: 1.0, weight: 3, isHighTech: false, season: 'retail', turnover: 3.5, taxRate: 0.012, nameWord: '商贸' },
  { code: 'F5261', nameZh: '汽车新车零售', risk: 1.1, weight: 1.5, isHighTech: false, season: 'retail', turnover: 3.0, taxRate: 0.01, nameWord: '汽车销售' },
  { code: 'G5431', nameZh: '普通货物道路运输', risk: 1.25, weight: 3, isHighTech: false, season: 'flat', turnover: 1.8, taxRate: 0.02, nameWord: '物流' },
  { code: 'H6110', nameZh: '旅游饭店', risk: 1.3, weight: 1, isHighTech: false, season: 'services', turnover: 0.8, taxRate: 0.03, nameWord: '酒店管理' },
  { code: 'H6210', nameZh: '正餐服务', risk: 1.45, weight: 4, isHighTech: false, season: 'services', turnover: 2.0, taxRate: 0.02, nameWord: '餐饮管理' },
  { code: 'I6432', nameZh: '互联网生活服务平台', risk: 1.0, weight: 2, isHighTech: true, season: 'services', turnover: 1.2, taxRate: 0.03, nameWord: '网络科技' },
  { code: 'I6510', nameZh: '软件开发', risk: 0.8, weight: 7, isHighTech: true, season: 'services', turnover: 1.3, taxRate: 0.04, nameWord: '软件' },
  { code: 'I6520', nameZh: '集成电路设计', risk: 0.75, weight: 1, isHighTech: true, season: 'services', turnover: 1.1, taxRate: 0.04, nameWord: '微电子' },
  { code: 'I6550', nameZh: '信息技术咨询服务', risk: 0.85, weight: 4, isHighTech: true, season: 'services', turnover: 1.3, taxRate: 0.04, nameWord: '信息技术' },
  { code: 'K7010', nameZh: '房地产开发经营', risk: 1.7, weight: 1.5, isHighTech: false, season: 'construction', turnover: 0.5, taxRate: 0.05, nameWord: '置业' },
  { code: 'K7020', nameZh: '物业管理', risk: 0.9, weight: 2, isHighTech: false, season: 'flat', turnover: 1.5, taxRate: 0.03, nameWord: '物业服务' },
  { code: 'L7212', nameZh: '投资与资产管理', risk: 1.6, weight: 3, isHighTech: false, season: 'flat', turnover: 0.2, taxRate: 0.05, nameWord: '投资管理' },
  { code: 'L7251', nameZh: '互联网广告服务', risk: 1.1, weight: 3, isHighTech: false, season: 'services', turnover: 1.8, taxRate: 0.03, nameWord: '文化传媒' },
  { code: 'L7243', nameZh: '社会经济咨询', risk: 1.0, weight: 3, isHighTech: false, season: 'services', turnover: 1.5, taxRate: 0.03, nameWord: '企业管理咨询' },
  { code: 'M7320', nameZh: '工程和技术研究和试验发展', risk: 0.8, weight: 2, isHighTech: true, season: 'services', turnover: 0.9, taxRate: 0.04, nameWord: '科技' },
  { code: 'M7452', nameZh: '检测服务', risk: 0.85, weight: 1, isHighTech: true, season: 'services', turnover: 1.2, taxRate: 0.04, nameWord: '检测技术' },
  { code: 'P8391', nameZh: '职业技能培训', risk: 1.35, weight: 1.5, isHighTech: false, season: 'services', turnover: 1.5, taxRate: 0.03, nameWord: '教育科技' },
  { code: 'Q8411', nameZh: '综合医院', risk: 0.9, weight: 0.5, isHighTech: false, season: 'flat', turnover: 1.0, taxRate: 0.01, nameWord: '医疗管理' },
  { code: 'R8710', nameZh: '文艺创作与表演', risk: 1.3, weight: 1, isHighTech: false, season: 'services', turnover: 1.0, taxRate: 0.03, nameWord: '文化艺术' },
]

/** industryRiskIndex by GB/T 4754 code, for the feature assembly and for tests. */
export const INDUSTRY_RISK_INDEX: ReadonlyMap<string, number> = new Map(INDUSTRIES.map((i) => [i.code, i.risk]))

/** Industries whose firms may be certified high-tech (高新技术企业). */
export const HIGH_TECH_INDUSTRIES: ReadonlySet<string> = new Set(INDUSTRIES.filter((i) => i.isHighTech).map((i) => i.code))

/** Industries whose firms hold stakes in others (the INVESTMENT edges start here). */
export const INVESTOR_INDUSTRY = 'L7212'

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
export const GIVEN_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红飞鹏辉斌宇浩凯健俊帆帅旭宁婷雪琳晨阳欣怡峰'
/** Characters for trade names (字号). */
export const TRADE_CHARS = '华恒泰盛鑫源达宏兴隆远瑞丰嘉信诚安康博创智联天海金汇通融新锦晟卓越蓝鼎立铭拓启航和润德正博亿宸祥晖睿'

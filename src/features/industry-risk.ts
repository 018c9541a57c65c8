/**
 * Base risk index by GB/T 4754 section (1 = portfolio average): an editable reference table, from the usual
 * ordering of SME default rates by sector (construction, catering and wholesale above; utilities, IT,
 * education and health below). Not fitted to any bank's data.
 */
export const SECTION_RISK_INDEX: Readonly<Record<string, number>> = {
  A: 1.3, B: 1.2, C: 1.0, D: 0.6, E: 1.4, F: 1.2, G: 0.9, H: 1.4, I: 0.8, J: 0.7,
  K: 1.3, L: 1.1, M: 0.8, N: 0.9, O: 1.1, P: 0.7, Q: 0.7, R: 1.0, S: 0.6, T: 0.6,
}

export function industryRiskIndex(industryCode: string): number | undefined {
  return SECTION_RISK_INDEX[industryCode.charAt(0)]
}

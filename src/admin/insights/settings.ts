/**
 * Settings of the Insights page: the `insights` part of the config (INSIGHTS_RETENTION_DAYS,
 * INSIGHTS_MIN_COUNT, INSIGHTS_ROUND_TO, INSIGHTS_SMS_SEGMENT_PRICE, INSIGHTS_SMS_CURRENCY).
 */
import type { Config } from '../../config/index.js';

export type InsightsSettings = Config['insights'];

/** The defaults: 400 days, counts under 5 hidden and the others rounded to fives, no SMS price. */
export const DEFAULT_INSIGHTS_SETTINGS: InsightsSettings = Object.freeze({ retentionDays: 400, minCount: 5, roundTo: 5, smsSegmentPrice: 0, smsCurrency: 'MAD' });

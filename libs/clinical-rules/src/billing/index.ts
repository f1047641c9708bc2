export { startOfLocalDay } from './local-day-start';
export {
  BILLING_PERIOD_DAYS,
  billingPeriodAt,
  billingPeriodByIndex,
  billingPeriodOn,
  billingPeriodsOverlapping,
  enrolmentDate,
  monthDates,
  type BillingPeriod,
} from './billing-period';
export {
  CPT_99445_MIN_DATA_DAYS,
  CPT_99454_MIN_DATA_DAYS,
  ad03Verdict,
  assessBillingPeriod,
  dataDatesOf,
  deviceSupplyCodeFor,
  projectedBandOf,
  type Ad03Level,
  type BillingAssessment,
  type DeviceSupplyCode,
  type ProjectedBand,
} from './billing-assessment';

import { z } from 'zod';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig, MqttTlsEnv, requireTlsMqttInProduction } from '@rpm/service-kit';
import { DEFAULT_ACKNOWLEDGE_TARGETS, parseAcknowledgeTargets } from '../alerts/acknowledge-target';

const CareApiConfig = z
  .object({
    CARE_API_PORT: z.coerce.number().int().default(3000),
    DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/rpm'),
    ...KafkaEnv,
    ...HttpEnv,
    CARE_API_GROUP_ID: z.string().default('care-api'),
    /** How often scheduled protocol versions are checked and, once due, published. */
    CARE_API_PROTOCOL_SCHEDULE_MS: z.coerce.number().int().positive().default(10_000),
    /** Acknowledgement targets by severity; an open alert past its target escalates to the care team's contact. */
    CARE_API_ACKNOWLEDGE_TARGETS: z
      .string()
      .default(DEFAULT_ACKNOWLEDGE_TARGETS)
      .transform((spec, ctx) => {
        try {
          return parseAcknowledgeTargets(spec);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** How often due escalations and expired snoozes are looked for. */
    CARE_API_WORKLIST_TIMER_MS: z.coerce.number().int().positive().default(5_000),
    /** How often each patient's billing period is assessed for AD-03 (docs/billing.md): hourly, as data days change by the day. */
    CARE_API_BILLING_CHECK_MS: z.coerce.number().int().positive().default(3_600_000),
    MQTT_URL: z.string().default('mqtts://127.0.0.1:8884'),
    ...MqttTlsEnv,
    /** The broker address handed to devices (differs from MQTT_URL behind a load balancer). */
    MQTT_PUBLIC_URL: z.string().optional(),
    MQTT_ADMIN_USERNAME: z.string().min(1),
    MQTT_ADMIN_PASSWORD: z.string().min(1),
    VITALS_STORE_URL: z.string().default('http://127.0.0.1:3003'),
    /** dev: HS256 tokens from `npm run token`; oidc: RS256 tokens verified against the issuer's JWKS. */
    AUTH_MODE: z.enum(['dev', 'oidc']).default('dev'),
    JWT_SECRET: z.string().min(32).optional(),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_JWKS_URI: z.string().url().optional(),
    OIDC_AUDIENCE: z.string().default('rpm-care-api'),
    NODE_ENV: z.string().default('development'),
    /** The EHR push (docs/fhir.md "Pushing to an EHR", ADR 0012): off unless a FHIR R4 base URL is set. */
    EHR_FHIR_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
    /** Sent as `Authorization: Bearer ...` to the EHR when set. */
    EHR_FHIR_BEARER_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
    /** out_of_range: the readings a rule fired on, with each alert change; all: every reading as it arrives as well. */
    EHR_PUSH_OBSERVATIONS: z.enum(['out_of_range', 'all']).default('out_of_range'),
    /** Tries of one Bundle (the first included) before it is dead-lettered to rpm.ehr-push.dlq.v1. */
    EHR_PUSH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    EHR_PUSH_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(500),
    EHR_PUSH_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(30_000),
    /** The longest Retry-After honoured. */
    EHR_PUSH_RETRY_AFTER_MAX_MS: z.coerce.number().int().nonnegative().default(60_000),
    /** One request's timeout (a hanging EHR is a failed try). */
    EHR_PUSH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.AUTH_MODE === 'dev') {
      ctx.addIssue({ code: 'custom', path: ['AUTH_MODE'], message: 'dev tokens are for development; set AUTH_MODE=oidc in production' });
    }
    // Devices are told MQTT_PUBLIC_URL (else MQTT_URL) at registration: neither may be cleartext in production.
    requireTlsMqttInProduction(c.NODE_ENV, { MQTT_URL: c.MQTT_URL, MQTT_PUBLIC_URL: c.MQTT_PUBLIC_URL }, ctx);
    if (c.NODE_ENV === 'production' && c.EHR_FHIR_BASE_URL && !c.EHR_FHIR_BASE_URL.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['EHR_FHIR_BASE_URL'], message: 'must be an https:// URL in production (patient data)' });
    }
    if (c.AUTH_MODE === 'dev' && !c.JWT_SECRET) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when AUTH_MODE=dev' });
    if (c.AUTH_MODE === 'oidc' && (!c.OIDC_ISSUER || !c.OIDC_JWKS_URI)) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'OIDC_ISSUER and OIDC_JWKS_URI are required when AUTH_MODE=oidc' });
    }
  });
export type CareApiConfig = z.infer<typeof CareApiConfig>;

export const CARE_API_CONFIG = Symbol('CARE_API_CONFIG');
export const loadCareApiConfig = (): CareApiConfig => loadConfig(CareApiConfig);

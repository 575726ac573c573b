/**
 * The error every selector parser throws: label selector strings, LabelSelector objects and field
 * selectors alike.
 * @module
 */

/** An invalid selector string or LabelSelector object. `input` is the offending text. */
export class SelectorError extends Error {
  readonly code = 'InvalidSelector';
  readonly input: string;
  constructor(input: string, detail: string) {
    super(
      `invalid selector ${JSON.stringify(input.length > 120 ? `${input.slice(0, 120)}…` : input)}: ${detail}`,
    );
    this.name = 'SelectorError';
    this.input = input;
  }
}

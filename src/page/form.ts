/// <reference lib="dom" />
/**
 * A tabular spec's example to predict: one number input per feature column,
 * or a CSV row pasted whole (which fills the inputs). A value that is not a
 * number is named, with its column, instead of predicted.
 */
export class FeatureForm {
  private readonly inputs: HTMLInputElement[];

  constructor(
    host: HTMLElement,
    columns: readonly string[],
    private readonly onExample: (values: number[]) => void,
    private readonly onProblem: (message: string) => void,
  ) {
    const form = document.createElement('form');
    form.id = 'features';
    this.inputs = columns.map((column, i) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'text';
      input.inputMode = 'decimal';
      input.name = column;
      input.id = `feature-${i}`;
      input.size = 8;
      label.append(`${column} `, input);
      form.append(label, document.createElement('br'));
      return input;
    });
    const row = document.createElement('input');
    row.type = 'text';
    row.id = 'csv-row';
    row.placeholder = `or paste a CSV row: ${columns.join(',')}`;
    row.size = 48;
    row.addEventListener('change', () => this.fill(row.value));
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.id = 'predict-button';
    submit.textContent = 'predict';
    form.append(row, document.createElement('br'), submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    host.replaceChildren(form);
  }

  /** Fills the inputs from a CSV row of the feature columns, in order. */
  fill(text: string): void {
    const cells = text.trim().split(',');
    if (cells.length !== this.inputs.length) {
      this.onProblem(`the row has ${cells.length} values; the model takes ${this.inputs.length} (${this.inputs.map((i) => i.name).join(', ')})`);
      return;
    }
    cells.forEach((cell, i) => (this.inputs[i]!.value = cell.trim()));
  }

  private submit(): void {
    const values: number[] = [];
    for (const input of this.inputs) {
      const value = Number(input.value.trim());
      if (input.value.trim() === '' || !Number.isFinite(value)) {
        this.onProblem(`${input.name}: '${input.value}' is not a number`);
        return;
      }
      values.push(value);
    }
    this.onExample(values);
  }
}

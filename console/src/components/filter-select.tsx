/** One of the Feed's filters: a labelled `<select>` whose first choice, "All", means no filter. */
export function FilterSelect(props: {
  label: string;
  name: string;
  value: string;
  onChange: (event: Event) => void;
  choices: readonly { value: string; label: string }[];
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={props.onChange}>
        <option value="">All</option>
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

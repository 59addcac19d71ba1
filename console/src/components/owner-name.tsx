import { type Names, type OwnerIds, ownerNames } from '../names.js';

/**
 * The owner by name, each name isolated (`<bdi>`): a Persian or Arabic name keeps its own direction and leaves the
 * line's order, "Name (team)", as it is. Nothing for nobody.
 */
export function OwnerName(props: { owner: OwnerIds | null | undefined; names: Names }) {
  const parts = ownerNames(props.owner, props.names);
  if (!parts) return null;
  if (parts.person && parts.team) {
    return (
      <>
        <bdi>{parts.person}</bdi> (<bdi>{parts.team}</bdi>)
      </>
    );
  }
  if (parts.person) return <bdi>{parts.person}</bdi>;
  return (
    <>
      <bdi>{parts.team}</bdi> team
    </>
  );
}

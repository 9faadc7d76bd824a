/**
 * The resource tree: the application's resources, a child Application's resources under it (with a link to open
 * the child — the app-of-apps drill-down), and ReplicaSets and Pods under their owners; each node with its sync and
 * health. Nodes are buttons (Tab and Enter reach every one); choosing one opens the resource panel.
 */
import type { JSX } from 'preact';
import { HealthBadge, SyncBadge } from '../components/status.js';
import type { Nested } from '../resources.js';
import { resourceId } from '../resources.js';
import { Link } from '../router.js';

function Node(props: { readonly item: Nested; readonly selected: string | undefined; readonly onSelect: (id: string) => void }): JSX.Element {
  const { node, children } = props.item;
  const id = resourceId(node);
  const isApp = node.group === 'argoproj.io' && node.kind === 'Application';
  return (
    <li class={`node${node.managed ? '' : ' owned'}`} data-resource={id}>
      <div class={`node-row${props.selected === id ? ' selected' : ''}`}>
        <button type="button" class="node-name" aria-pressed={props.selected === id} onClick={() => { props.onSelect(id); }}>
          <span class="kind">{node.kind}</span> {node.name}
        </button>
        {node.status === undefined ? null : <SyncBadge status={node.status} />}
        {node.health === undefined ? null : <HealthBadge status={node.health.status} />}
        {node.requiresPruning === true ? <span class="badge prune">requires pruning</span> : null}
        {node.syncWave === undefined ? null : <span class="wave">wave {node.syncWave}</span>}
        {isApp ? <Link class="drill" href={`/applications/${encodeURIComponent(node.name)}`}>open {node.name} →</Link> : null}
        {node.health?.message === undefined ? null : <span class="node-message">{node.health.message}</span>}
      </div>
      {children.length === 0 ? null : <ul>{children.map((child) => <Node key={resourceId(child.node)} item={child} selected={props.selected} onSelect={props.onSelect} />)}</ul>}
    </li>
  );
}

export function ResourceTree(props: { readonly app: string; readonly roots: readonly Nested[]; readonly selected: string | undefined; readonly onSelect: (id: string) => void }): JSX.Element {
  if (props.roots.length === 0) return <p class="state empty">{props.app} has no resources yet (it has not been compared, or renders nothing).</p>;
  return (
    <ul class="tree" aria-label={`resources of ${props.app}`}>
      <li class="node root"><div class="node-row"><span class="kind">Application</span> {props.app}</div>
        <ul>{props.roots.map((item) => <Node key={resourceId(item.node)} item={item} selected={props.selected} onSelect={props.onSelect} />)}</ul>
      </li>
    </ul>
  );
}

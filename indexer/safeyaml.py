"""YAML's safe subset with bounds, for every YAML file the indexer reads (front matter, vocabulary.yaml):
aliases may repeat only a few nodes in all and nesting stops at a depth, so a small file can neither expand
into a huge one (an alias bomb) nor exhaust the stack."""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode


def load(text: str, *, max_alias_nodes: int, max_nesting: int) -> object:
    """The data of one YAML document; yaml.YAMLError (with a mark) for bad YAML or a bound exceeded.

    `max_alias_nodes` counts the nodes aliases repeat, an alias of a 10-item list counting 11;
    0 refuses aliases outright.
    """
    loader = _BoundedLoader(text, max_alias_nodes, max_nesting)
    try:
        return loader.get_single_data()
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, AttributeError, OverflowError):
        # PyYAML's constructors fail this way on some tagged values (`!!timestamp` with no value, a
        # `!!timestamp` out of range): a malformed value like any other, not a crash.
        raise ConstructorError(
            None, None, "a value does not fit its type tag (!!timestamp, !!int, ...)", None
        ) from None
    finally:
        loader.dispose()


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, text: str, max_alias_nodes: int, max_nesting: int) -> None:
        super().__init__(text)
        self.max_alias_nodes = max_alias_nodes
        self.max_nesting = max_nesting
        self.repeated = 0
        self.open_anchors: list[str | None] = []  # anchors of the nodes being composed, outermost first
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            if not self.max_alias_nodes:
                raise ComposerError(None, None, "aliases are not allowed here", event.start_mark)
            if event.anchor in self.open_anchors:
                raise ComposerError(None, None, "an alias refers to a node that contains it", event.start_mark)
            node = self.anchors.get(event.anchor)
            self.repeated += self._size(node) if node is not None else 0
            if self.repeated > self.max_alias_nodes:
                raise ComposerError(
                    None, None, f"aliases repeat more than {self.max_alias_nodes:,} nodes", event.start_mark
                )
            return super().compose_node(parent, index)
        if len(self.open_anchors) >= self.max_nesting:
            raise ComposerError(None, None, f"nested deeper than {self.max_nesting} levels", event.start_mark)
        self.open_anchors.append(getattr(event, "anchor", None))
        try:
            return super().compose_node(parent, index)
        finally:
            self.open_anchors.pop()

    def _size(self, node: Node) -> int:
        """Nodes in `node`, counting what its own aliases repeat (memoised: the composed graph is shared)."""
        key = id(node)
        if key not in self.sizes:
            if isinstance(node, SequenceNode):
                children = node.value
            elif isinstance(node, MappingNode):
                children = [n for pair in node.value for n in pair]
            else:
                children = []
            self.sizes[key] = 1 + sum(self._size(c) for c in children)
        return self.sizes[key]

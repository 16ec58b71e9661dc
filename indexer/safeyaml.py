"""YAML's safe subset with bounds, for every YAML file the indexer reads (front matter, vocabulary.yaml):
aliases may repeat only a few nodes in all and nesting stops at a depth, so a small file can neither expand
into a huge one (an alias bomb) nor exhaust the stack. A key given twice in one mapping is an error (PyYAML
would keep the last silently, losing the first), and every string remembers its line (`Located`), so
a value found wrong after loading can still be reported where it is."""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode


class Located(str):
    """A string from a YAML file, with the 1-based line it starts on."""

    line: int


def line_of(value: object) -> int | None:
    """The line a loaded string starts on; None for other values (numbers, lists, mappings)."""
    return value.line if isinstance(value, Located) else None


def describe(exc: yaml.YAMLError, first_line: int = 1) -> tuple[int | None, str]:
    """(line, problem) for a YAML error, the line counted from `first_line` (the text's first line in its
    file). A value left open to the end of the text (an unclosed quote or bracket) is reported where it
    opens, not at the end."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and opened is not None and "end of stream" in problem:
        return opened.line + first_line, f"{context}: {problem}"
    return (mark.line + first_line if mark is not None else None), problem


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

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            seen: set[object] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *defaults": merged keys may be overridden
                    continue
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, str | int | float | bool) or key is None:
                    if key in seen:
                        raise ConstructorError(None, None, f"the key {str(key)!r} is given twice", key_node.start_mark)
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]

    def construct_located(self, node: Node) -> Located:
        value = Located(self.construct_yaml_str(node))
        value.line = node.start_mark.line + 1
        return value

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


_BoundedLoader.add_constructor("tag:yaml.org,2002:str", _BoundedLoader.construct_located)

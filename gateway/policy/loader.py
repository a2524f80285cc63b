"""Loading policy files: read, validate strictly, and compile department files into a
:class:`PolicySet`, collecting every problem (unknown keys, conflicting rules, bad
conditions) instead of stopping at the first. An unreadable directory yields deny-all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml
from pydantic import ValidationError

from gateway.policy.conditions import ConditionError, compile_condition
from gateway.policy.model import (
    CatalogueFile,
    DepartmentFile,
    FieldModel,
    GrantModel,
    NamedPolicyModel,
    SharingClass,
)
from gateway.policy.policyset import (
    CompiledGrant,
    FieldRule,
    NamedPolicy,
    PolicySet,
    TypeRule,
    deny_all_policy,
    scope_alternatives,
)

__all__ = ["CATALOGUE_FILE", "load_policy_set", "policy_files"]

CATALOGUE_FILE = "scopes.yaml"


def _grant(model: GrantModel, source: str, index: int) -> CompiledGrant:
    where = None
    if model.where is not None:
        where = compile_condition(model.where, f"{source}.grants[{index}].where")
    arguments = None
    if model.arguments is not None:
        arguments = compile_condition(model.arguments, f"{source}.grants[{index}].arguments")
    return CompiledGrant(
        name=model.name or f"grant {index + 1}",
        source=f"{source}.grants[{index}]",
        scopes=scope_alternatives(model.scopes),
        principals=frozenset(model.principals) if model.principals is not None else None,
        clients=frozenset(model.clients) if model.clients is not None else None,
        where=where,
        purpose=model.purpose,
        purpose_pattern=model.purpose_pattern,
        unmasked=model.unmasked,
        unmasked_scopes=scope_alternatives(model.unmasked_scopes),
        arguments=arguments,
    )


def _grants(models: list[GrantModel] | None, source: str) -> tuple[CompiledGrant, ...]:
    return tuple(_grant(model, source, index) for index, model in enumerate(models or ()))


def _read_yaml(path: Path, problems: list[str]) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read: {exc}")
        return None


def _validation_problems(name: str, exc: ValidationError) -> list[str]:
    return [
        f"{name}: {'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()
    ]


@dataclass
class _Builder:
    fields: dict[str, FieldRule] = field(default_factory=dict)
    types: dict[str, TypeRule] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add_department(self, name: str, department: DepartmentFile) -> None:
        for type_name, type_model in department.types.items():
            where = f"{name}: types.{type_name}"
            try:
                type_grants = _grants(type_model.grants, where)
            except ConditionError as exc:
                self.problems.append(str(exc))
                continue
            previous = self.types.get(type_name, TypeRule(type_name))
            default, default_source, default_grants = (
                previous.default,
                previous.default_source,
                previous.default_grants,
            )
            if type_model.default is not None:
                if previous.default is not None:
                    self.problems.append(
                        f"{where}.default: conflicts with {previous.default_source} "
                        "(one department owns a type's default)"
                    )
                else:
                    default, default_source = type_model.default, f"{where}.default"
                    default_grants = type_grants
            subject = previous.data_subject
            if type_model.data_subject is not None:
                declared = type_model.data_subject
                paths = (declared,) if isinstance(declared, str) else tuple(declared)
                if subject and subject != paths:
                    self.problems.append(f"{where}.data_subject: conflicts with another file")
                subject = paths
            self.types[type_name] = TypeRule(
                type_name,
                default,
                default_source,
                default_grants,
                subject,
                previous.opaque_cursors or type_model.cursors == "opaque",
            )
            for field_name, entry in type_model.fields.items():
                self._add_field(
                    where, type_name, field_name, entry, type_model.default, type_grants
                )

    def _add_field(
        self,
        where: str,
        type_name: str,
        field_name: str,
        entry: FieldModel | SharingClass,
        type_default: SharingClass | None,
        type_grants: tuple[CompiledGrant, ...],
    ) -> None:
        coordinate = f"{type_name}.{field_name}"
        source = f"{where}.fields.{field_name}"
        model = (
            entry if isinstance(entry, FieldModel) else FieldModel.model_validate({"class": entry})
        )
        if coordinate in self.fields:
            self.problems.append(
                f"{source}: {coordinate} is already ruled by {self.fields[coordinate].source}"
            )
            return
        sharing = model.sharing or type_default
        if sharing is None:
            self.problems.append(f"{source}: no class (set class: or the type's default:)")
            return
        try:
            grants = _grants(model.grants, source) if model.grants is not None else type_grants
        except ConditionError as exc:
            self.problems.append(str(exc))
            return
        if sharing == "conditional" and not grants:
            self.problems.append(
                f"{source}: conditional but no grants (nobody can see it; "
                "say not_shared if that is meant)"
            )
        if sharing != "conditional" and model.grants:
            self.problems.append(f"{source}: grants on a {sharing} field have no effect")
        if sharing == "public" and model.personal:
            self.problems.append(f"{source}: a personal field cannot be public")
        own_unmasking = any(g.unmasked_scopes for g in model.grants or ())
        if (model.masked_unless or own_unmasking) and not model.mask:
            self.problems.append(f"{source}: unmasking rules without a mask")
        self.fields[coordinate] = FieldRule(
            coordinate=coordinate,
            sharing=sharing,
            source=source,
            personal=model.personal or model.sensitive,
            sensitive=model.sensitive,
            mask=model.mask,
            masked_unless=scope_alternatives(model.masked_unless),
            grants=grants if sharing == "conditional" else (),
        )


def _catalogue(directory: Path, problems: list[str]) -> CatalogueFile | None:
    path = directory / CATALOGUE_FILE
    if not path.is_file():
        problems.append(f"{CATALOGUE_FILE}: missing (every scope must be declared there)")
        return None
    raw = _read_yaml(path, problems)
    try:
        return CatalogueFile.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_validation_problems(CATALOGUE_FILE, exc))
        return None


def _named(name: str, model: NamedPolicyModel) -> NamedPolicy:
    return NamedPolicy(
        name,
        scope_alternatives(model.scopes),
        frozenset(model.principals) if model.principals is not None else None,
        frozenset(model.clients) if model.clients is not None else None,
    )


def policy_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def load_policy_set(directory: str | Path) -> PolicySet:
    """Load every ``*.yaml`` of ``directory``; unreadable directory → a deny-all set."""
    root = Path(directory)
    try:
        paths = policy_files(root)
    except OSError as exc:
        return deny_all_policy(f"policy directory {root} unreadable: {exc}")
    if not root.is_dir():
        return deny_all_policy(f"policy directory {root} does not exist")
    digest = hashlib.sha256()
    problems: list[str] = []
    builder = _Builder(problems=problems)
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path.name}: cannot read: {exc}")
            continue
        digest.update(path.name.encode() + b"\0" + data + b"\0")
        if path.name == CATALOGUE_FILE:
            continue
        raw = _read_yaml(path, problems)
        try:
            department = DepartmentFile.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_validation_problems(path.name, exc))
            continue
        builder.add_department(path.name, department)
    catalogue = _catalogue(root, problems)
    if not paths:
        problems.append(f"policy directory {root} holds no *.yaml files")
    return PolicySet(
        version=digest.hexdigest()[:16],
        fields=MappingProxyType(dict(builder.fields)),
        types=MappingProxyType(dict(builder.types)),
        scope_catalogue=frozenset(catalogue.scopes) if catalogue else frozenset(),
        named_policies=MappingProxyType(
            {name: _named(name, model) for name, model in catalogue.policies.items()}
            if catalogue
            else {}
        ),
        sources=tuple(path.name for path in paths),
        problems=tuple(problems),
    )

"""Assemble the schema: root types from each domain, limits as extensions, errors masked."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaskErrors, SchemaExtension
from strawberry.types import ExecutionContext

from gateway.config import Settings
from gateway.errors import is_expected
from gateway.metrics import GraphQLMetrics, OperationMetrics
from gateway.schema.applications.mutations import ApplicationMutations
from gateway.schema.applications.queries import ApplicationQueries, QueueQueries
from gateway.schema.applications.verification import VerificationQueries
from gateway.schema.ce.mutations import CeMutations
from gateway.schema.ce.queries import CeQueries
from gateway.schema.certificates.mutations import ProviderMutations
from gateway.schema.certificates.queries import ProviderQueries
from gateway.schema.discipline.operations import DisciplineMutations, DisciplineQueries
from gateway.schema.employer.operations import EmployerMutations
from gateway.schema.exams.accommodations import AccommodationMutations, AccommodationQueries
from gateway.schema.exams.attempts import ExamAttemptMutations, ExamAttemptQueries
from gateway.schema.exams.authorizations import AuthorizationMutations, AuthorizationQueries
from gateway.schema.exams.forms import ExamFormMutations, ExamFormQueries
from gateway.schema.executor import PlainFieldExecutor, mark_plain_fields
from gateway.schema.limits import OperationLimits, operation_limits_rule
from gateway.schema.me.queries import MeQueries
from gateway.schema.operation_cache import CachedOperations, OperationCache
from gateway.schema.operations.mutations import ClockMutations, SweepMutations
from gateway.schema.renewal.credential import CredentialQueries
from gateway.schema.renewal.expiring import ExpiringQueries
from gateway.schema.renewal.operations import RenewalMutations, RenewalQueries
from gateway.schema.subfields import SUBFIELDS, SubfieldCache
from gateway.schema.supervision.agreements import AgreementMutations, AgreementQueries
from gateway.schema.supervision.compliance import ComplianceQueries
from gateway.schema.supervision.hours import HoursMutations, HoursQueries
from gateway.schema.supervision.sessions import SessionMutations, SessionQueries
from gateway.schema.supervision.supervisors import SupervisorMutations, SupervisorQueries


class CertboardSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors are answers, not faults: log only what was masked.
        unexpected = [e for e in errors if not is_expected(e)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(settings: Settings, metrics: GraphQLMetrics | None = None) -> strawberry.Schema:
    """The gateway's schema; the test clock and the sweep on demand exist outside production.
    With ``metrics``, each operation and its errors are counted."""

    @strawberry.type
    class Query(
        MeQueries,
        ApplicationQueries,
        QueueQueries,
        ProviderQueries,
        VerificationQueries,
        RenewalQueries,
        DisciplineQueries,
        ExpiringQueries,
        CredentialQueries,
        CeQueries,
        ExamFormQueries,
        ExamAttemptQueries,
        AuthorizationQueries,
        AccommodationQueries,
        SupervisorQueries,
        AgreementQueries,
        SessionQueries,
        HoursQueries,
        ComplianceQueries,
    ):
        pass

    mutation_bases: tuple[type, ...] = (
        ApplicationMutations,
        ProviderMutations,
        RenewalMutations,
        DisciplineMutations,
        EmployerMutations,
        CeMutations,
        ExamFormMutations,
        ExamAttemptMutations,
        AuthorizationMutations,
        AccommodationMutations,
        SupervisorMutations,
        AgreementMutations,
        SessionMutations,
        HoursMutations,
    )
    if settings.clock_controllable:
        mutation_bases += (ClockMutations, SweepMutations)
    Mutation = strawberry.type(type("Mutation", mutation_bases, {}))  # noqa: N806

    limits = operation_limits_rule(
        OperationLimits(
            max_depth=settings.max_query_depth,
            max_introspection_depth=settings.max_introspection_depth,
            max_aliases=settings.max_aliases,
            max_root_fields=settings.max_root_fields,
        )
    )
    # Factories, not instances: each request gets fresh extension objects (the cache of
    # operations is the schema's, shared by them).
    operations = OperationCache(settings.operation_cache_size)
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(CachedOperations, operations, max_tokens=settings.max_query_tokens, rules=[limits]),
        partial(MaskErrors, should_mask_error=lambda error: not is_expected(error)),
    ]
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    if metrics is not None:
        # First, so it sees the answer last: after MaskErrors has replaced what it masks.
        extensions.insert(0, partial(OperationMetrics, metrics))
    schema = CertboardSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        execution_context_class=PlainFieldExecutor,
    )
    mark_plain_fields(schema._schema)
    schema._schema.extensions[SUBFIELDS] = SubfieldCache(settings.operation_cache_size)
    return schema

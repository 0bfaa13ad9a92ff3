"""Plain rows for tests; later states are reached through the services."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from programmes.models import County, FundingRound, Programme

TEST_PASSWORD = "Test-passord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda o: o.username)
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.example")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MunicipalRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRound

    programme = factory.LazyFunction(lambda: Programme.objects.get(slug="luk"))
    kind = FundingRound.Kind.MUNICIPAL
    county = factory.LazyFunction(lambda: County.objects.get(number="17"))
    name = factory.Sequence(lambda n: f"Utlysing {n}")
    budget = 2_000_000
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))

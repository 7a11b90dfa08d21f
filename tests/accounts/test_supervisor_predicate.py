"""User.acts_as_supervisor_of: the one supervisor check (same or higher procuratorate, active)."""

from __future__ import annotations

from accounts.models import Role
from tests.factories import ProcuratorateFactory, UserFactory


def test_supervisor_of_the_same_procuratorate(world):
    assert world.supervisor.acts_as_supervisor_of(world.district)


def test_supervisor_of_a_parent_procuratorate_supervises_the_child(world):
    assert world.city_supervisor.acts_as_supervisor_of(world.district)
    assert world.city_supervisor.acts_as_supervisor_of(world.city)


def test_supervisor_of_a_child_procuratorate_does_not_supervise_the_parent(world):
    assert not world.supervisor.acts_as_supervisor_of(world.city)


def test_supervisor_of_another_branch_supervises_nothing_here(world):
    assert not world.other_supervisor.acts_as_supervisor_of(world.district)
    assert not world.other_supervisor.acts_as_supervisor_of(world.city)
    sibling = ProcuratorateFactory(parent=world.city)
    sibling_supervisor = UserFactory(organisation=sibling, role=Role.SUPERVISOR)
    assert not sibling_supervisor.acts_as_supervisor_of(world.district)
    assert world.city_supervisor.acts_as_supervisor_of(sibling)


def test_a_deactivated_supervisor_supervises_nothing(world):
    world.city_supervisor.is_active = False
    assert not world.city_supervisor.is_active_supervisor
    assert not world.city_supervisor.acts_as_supervisor_of(world.district)


def test_a_procurator_is_no_supervisor(world):
    assert not world.procurator.is_active_supervisor
    assert not world.procurator.acts_as_supervisor_of(world.district)
    assert not world.city_procurator.acts_as_supervisor_of(world.district)


def test_a_tree_path_prefix_that_is_not_an_ancestor_does_not_count(world):
    # "/1/" must not cover "/12/": the paths end with a slash.
    assert world.district.tree_path.endswith("/")
    assert not world.supervisor.acts_as_supervisor_of(world.other)

"""Scenario texts the plugin and command-line tests share."""

PASSING = """\
name: anna sees her own tag
users: [anna]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {}}
    save: projects
  - expect: anna
    mirror:
      tags: {$projects: {label: Projects}}
---
name: ben sees nothing of it
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {}}
    save: projects
  - expect: ben
    mirror:
      tags: {$projects: !absent }
"""

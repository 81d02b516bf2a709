"""Teams: cohorts and who may see whose data, assignments, and the supervisors' pages."""

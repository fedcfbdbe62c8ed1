"""The roadmap feed: themes and jobs ranked by a documented priority, each explained."""

"""Playing scenarios: catalogue, introduction, play, debrief."""

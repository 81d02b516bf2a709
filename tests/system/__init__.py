"""System tests: the app under gunicorn, under load, killed, and scaled out."""

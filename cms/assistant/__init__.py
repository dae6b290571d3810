"""The desk's assistant: answers a question in people's own words with passages quoted
from the site's published service pages, FAQ items and topic pages, or says honestly
that it does not know and shows the ways to a person. No external service, no language
model: text.py normalises Dutch, retrieval.py ranks passages, services.py answers and
logs unanswered questions (masked), views.py serves /assistent/."""

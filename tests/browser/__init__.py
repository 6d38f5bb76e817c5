"""Tests that open rendered pages in a real headless Chromium."""

"""Webhooks: endpoints managed over the API, and the delivery of events from the outbox."""

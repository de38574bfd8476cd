"""The Kafka side of newsflow: the Faust app, its agents and what they publish."""

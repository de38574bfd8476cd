"""Reading article files and talking to Kafka from the command line tools."""

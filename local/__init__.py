"""Tremplin's local stack: the platform on one machine, without Docker or an AWS account."""

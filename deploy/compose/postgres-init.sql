-- A database per service (docker-compose only): no service reads another's tables.
-- The official postgres image runs this once, when its data volume is first initialised.
CREATE DATABASE applications;
CREATE DATABASE exams;
CREATE DATABASE supervision;

"""The continuing-education ledger: providers' CE courses and reports, holders' self-reports,
staff verification."""

[new Date(Date.UTC(2024, 1, 29, 12)).toISOString(), new Date('2024-03-01T00:00:00Z').getTime()]

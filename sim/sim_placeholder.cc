// Replaced by the simulated fleet.

"""The collection service: claims and their stages, letters as data, fees, interest, allocation, lists."""

"""The pure core of Krav: rules and values, no IO, no clock. Every rule takes the business date as an argument."""

"""The energy landscape as a whole: basins of attraction mapped by many
walkers at once (``basins``), and the global minimum by basin hopping
(``hopping``)."""

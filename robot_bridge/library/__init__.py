"""Published lesson libraries on the wire: fetching, serving, and the center's keeper."""

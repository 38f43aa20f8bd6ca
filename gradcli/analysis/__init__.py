"""Analysis of points of a potential: what kind of stationary point a gradient
and Hessian describe (``gradcli.analysis.stationary``) and its normal modes."""

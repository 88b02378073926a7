import CTorch

import ShenzhouNN
